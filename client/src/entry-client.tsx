// @refresh reload
// Hydrates the server-rendered document in the browser.
import { mount, StartClient } from "@solidjs/start/client";
import { startBrowserErrorReporting } from "./lib/errorReporting";

// Loads the SDK (when reporting is on) beside hydration, not in its way.
void startBrowserErrorReporting();

mount(() => <StartClient />, document.getElementById("app")!);
