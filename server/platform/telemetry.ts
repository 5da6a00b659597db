// Metrics through the OpenTelemetry API, read out as Prometheus text on
// /metrics. Each app has its own meter provider (no global state), so tests
// and several apps in one process do not mix their figures. Every process
// (api and worker) gets the process gauges below; the capabilities add theirs.
import type { Meter } from '@opentelemetry/api'
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus'
import { MeterProvider } from '@opentelemetry/sdk-metrics'

export type Telemetry = {
  meter: Meter
  /** Prometheus text exposition of every instrument. */
  scrape(): Promise<string>
  httpRequest(attrs: { method: string; route: string; status: number }, seconds: number): void
  shutdown(): Promise<void>
}

const LOOP_SAMPLE_MS = 100
// Anything else is `_OTHER` (OpenTelemetry's rule), so made-up methods add no series.
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE'])
export const httpMethodLabel = (method: string) => (METHODS.has(method) ? method : '_OTHER')

/** CPU, memory and event-loop delay of this process. */
function observeProcess(meter: Meter): () => void {
  meter
    .createObservableCounter('process.cpu.time', { unit: 's', description: 'CPU time this process has used, by mode.' })
    .addCallback((r) => {
      const { user, system } = process.cpuUsage()
      r.observe(user / 1e6, { 'cpu.mode': 'user' })
      r.observe(system / 1e6, { 'cpu.mode': 'system' })
    })
  meter
    .createObservableGauge('process.memory.usage', { unit: 'By', description: 'Resident memory of this process.' })
    .addCallback((r) => r.observe(process.memoryUsage().rss))
  // Bun's monitorEventLoopDelay does not see a blocked loop, so the delay is
  // measured directly: how late a 100 ms timer fires.
  const delay = meter.createHistogram('kt.eventloop.delay', {
    unit: 's',
    description: 'How late a timer fired: time the event loop was busy with something else.',
    advice: { explicitBucketBoundaries: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] },
  })
  let expected = performance.now() + LOOP_SAMPLE_MS
  const timer = setInterval(() => {
    const now = performance.now()
    delay.record(Math.max(0, now - expected) / 1000)
    expected = now + LOOP_SAMPLE_MS
  }, LOOP_SAMPLE_MS)
  timer.unref()
  return () => clearInterval(timer)
}

export function createTelemetry(service: string): Telemetry {
  // The exporter's own HTTP server stays off: the api serves /metrics itself.
  const reader = new PrometheusExporter({ preventServerStart: true })
  const provider = new MeterProvider({ readers: [reader] })
  const meter = provider.getMeter(service)
  const serializer = new PrometheusSerializer(undefined, false, undefined, true)
  const duration = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Time to answer an HTTP request (headers sent).',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
  })
  const stopProcess = observeProcess(meter)
  return {
    meter,
    async scrape() {
      const { resourceMetrics } = await reader.collect()
      return serializer.serialize(resourceMetrics)
    },
    httpRequest(attrs, seconds) {
      duration.record(seconds, {
        'http.request.method': httpMethodLabel(attrs.method),
        'http.route': attrs.route,
        'http.response.status_code': attrs.status,
      })
    },
    shutdown() {
      stopProcess()
      return provider.shutdown()
    },
  }
}
