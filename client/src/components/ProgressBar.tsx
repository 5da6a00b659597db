// A labelled progress bar (0–100). `value` is rounded as the visible labels
// round it (progressPercent), so the bar and its label always agree.
export function progressPercent(value: number): number {
  return Math.max(0, Math.min(100, Math.round(value)));
}

export default function ProgressBar(props: { value: number; label: string; tone?: "accent" | "danger" | "muted" }) {
  const value = () => progressPercent(props.value);
  return (
    <div
      class="progress"
      data-tone={props.tone ?? "accent"}
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value()}
    >
      <div class="progress__fill" style={{ width: `${value()}%` }} />
    </div>
  );
}
