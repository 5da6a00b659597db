// Daily messages and transcription minutes over the billing period, drawn by
// uPlot (canvas; it styles elements through the DOM, so a strict CSP holds).
import { createEffect, createSignal, onCleanup, onMount } from "solid-js";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

const DAY = 86_400;

/** One point per day of the period so far: [unix seconds], [messages], [minutes]. */
export function dailySeries(
  periodStart: string,
  daily: { day: string; dimension: string; amount: number }[],
  now = Date.now(),
): [number[], number[], number[]] {
  const start = Math.floor(Date.parse(periodStart.slice(0, 10)) / 1000);
  const end = Math.floor(now / 1000);
  const days: number[] = [];
  for (let t = start; t <= end && days.length < 370; t += DAY) days.push(t);
  const at = (dimension: string) =>
    days.map((t) => daily.filter((d) => d.dimension === dimension && Date.parse(d.day) / 1000 === t).reduce((s, d) => s + d.amount, 0));
  return [days, at("messages"), at("minutes")];
}

export default function UsageChart(props: { periodStart: string; daily: { day: string; dimension: string; amount: number }[] }) {
  let host: HTMLDivElement | undefined;
  const [chart, setChart] = createSignal<uPlot | null>(null);
  // New figures (a revalidated page, a new period) redraw the same chart.
  createEffect(() => chart()?.setData(dailySeries(props.periodStart, props.daily)));
  onMount(async () => {
    const { default: UPlot } = await import("uplot");
    if (!host) return;
    const plot = new UPlot(
      {
        width: Math.max(280, host.clientWidth),
        height: 220,
        scales: { x: { time: true } },
        series: [{}, { label: "Messages", stroke: "#2f6fed", width: 2 }, { label: "Minutes", stroke: "#d97706", width: 2 }],
        axes: [{}, { label: "per day" }],
      },
      dailySeries(props.periodStart, props.daily),
      host,
    );
    setChart(plot);
    const resize = () => plot.setSize({ width: Math.max(280, host!.clientWidth), height: 220 });
    window.addEventListener("resize", resize);
    onCleanup(() => {
      window.removeEventListener("resize", resize);
      plot.destroy();
    });
  });
  return (
    <div
      ref={host}
      class="usage-chart"
      role="img"
      aria-label="Messages and transcription minutes per day this period"
      data-testid="usage-chart"
    />
  );
}
