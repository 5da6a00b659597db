// @refresh reload
// Hydrates the server-rendered document in the browser.
import { mount, StartClient } from "@solidjs/start/client";

mount(() => <StartClient />, document.getElementById("app")!);
