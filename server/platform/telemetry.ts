// Metrics through the OpenTelemetry API, read out as Prometheus text on
// /metrics. Each app has its own meter provider (no global state), so tests
// and several apps in one process do not mix their figures.
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
  return {
    meter,
    async scrape() {
      const { resourceMetrics } = await reader.collect()
      return serializer.serialize(resourceMetrics)
    },
    httpRequest(attrs, seconds) {
      duration.record(seconds, { 'http.request.method': attrs.method, 'http.route': attrs.route, 'http.response.status_code': attrs.status })
    },
    shutdown: () => provider.shutdown(),
  }
}
