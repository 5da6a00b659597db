// A CloudWatch emulator for PutMetricData, enough for the supervisor's
// publisher: the AWS JSON 1.0 protocol the SDK speaks (POST /, X-Amz-Target
// GraniteServiceVersion20100801.<Operation>, application/x-amz-json-1.0),
// a SigV4 Authorization header required, the request's limits checked as the
// service checks them, errors in the service's shape. Tests only.

export type PutMetricData = {
  Namespace: string
  MetricData: {
    MetricName: string
    Value?: number
    Unit?: string
    Timestamp?: number
    Dimensions?: { Name: string; Value: string }[]
    StorageResolution?: number
  }[]
}
export type CloudWatchEmulator = { url: string; puts: PutMetricData[]; failNext(status: number): void; stop(): void }

const TARGET_PREFIX = 'GraniteServiceVersion20100801.'

function error(status: number, type: string, message: string): Response {
  return Response.json(
    { __type: type, message },
    { status, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${type};Sender` } },
  )
}

export function startCloudWatchEmulator(): CloudWatchEmulator {
  const puts: PutMetricData[] = []
  let failing: number | null = null
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      if (req.method !== 'POST' || new URL(req.url).pathname !== '/') return error(404, 'UnknownOperationException', 'not found')
      if (!req.headers.get('authorization')?.startsWith('AWS4-HMAC-SHA256 Credential='))
        return error(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token')
      const target = req.headers.get('x-amz-target') ?? ''
      if (!target.startsWith(TARGET_PREFIX)) return error(400, 'UnknownOperationException', `unknown target ${target}`)
      if (failing !== null) {
        const status = failing
        failing = null
        return error(status, status >= 500 ? 'InternalServiceError' : 'InvalidParameterValue', 'injected failure')
      }
      const operation = target.slice(TARGET_PREFIX.length)
      if (operation !== 'PutMetricData') return error(400, 'UnknownOperationException', `${operation} is not emulated`)
      const body = (await req.json()) as PutMetricData
      if (!body.Namespace || body.Namespace.startsWith('AWS/'))
        return error(400, 'InvalidParameterValue', 'The value AWS/ for parameter Namespace is invalid.')
      if (!Array.isArray(body.MetricData) || body.MetricData.length === 0 || body.MetricData.length > 1000)
        return error(400, 'InvalidParameterValue', 'MetricData must hold 1 to 1000 items')
      for (const datum of body.MetricData) {
        if (!datum.MetricName) return error(400, 'MissingParameter', 'The parameter MetricData.member.MetricName is required.')
        if ((datum.Dimensions?.length ?? 0) > 30) return error(400, 'InvalidParameterValue', 'At most 30 dimensions')
      }
      puts.push(body)
      return new Response('{}', { headers: { 'content-type': 'application/x-amz-json-1.0' } })
    },
  })
  return {
    url: `http://127.0.0.1:${server.port}`,
    puts,
    failNext(status) {
      failing = status
    },
    stop: () => void server.stop(true),
  }
}
