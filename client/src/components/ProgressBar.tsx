// A labelled progress bar (0–100).
export default function ProgressBar(props: { value: number; label: string; tone?: "accent" | "danger" | "muted" }) {
  const value = () => Math.max(0, Math.min(100, Math.round(props.value)));
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
