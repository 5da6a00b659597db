// Request parameters as Stripe reads them: form-encoded bodies (and query
// strings) with bracket nesting, `line_items[0][price]=…`, parsed by qs, then
// read field by field with the API's messages for bad or unknown parameters.
import qs from 'qs'
import { invalid, missingParam, StripeApiError } from './stripeError.ts'

export type Params = Record<string, unknown>

export function parseParams(text: string): Params {
  return qs.parse(text, { depth: 10, arrayLimit: 1000, parameterLimit: 10_000, allowDots: false }) as Params
}

/** Refuses parameters the endpoint does not take, as the API does. */
export function allowOnly(params: Params, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (key === 'expand' || allowed.includes(key)) continue
    throw new StripeApiError(400, 'invalid_request_error', `Received unknown parameter: ${key}`, { code: 'parameter_unknown', param: key })
  }
}

export function optString(params: Params, name: string): string | undefined {
  const value = params[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw invalid(`Invalid string: ${name}`, name)
  return value
}

export function reqString(params: Params, name: string): string {
  const value = optString(params, name)
  if (value === undefined || value === '') throw missingParam(name)
  return value
}

export function optInt(params: Params, name: string): number | undefined {
  const value = optString(params, name)
  if (value === undefined) return undefined
  if (!/^-?\d+$/.test(value)) throw invalid(`Invalid integer: ${value}`, name)
  return Number(value)
}

export function optBool(params: Params, name: string): boolean | undefined {
  const value = optString(params, name)
  if (value === undefined) return undefined
  if (value !== 'true' && value !== 'false') throw invalid(`Invalid boolean: ${value}`, name)
  return value === 'true'
}

export function optObject(params: Params, name: string): Params | undefined {
  const value = params[name]
  if (value === undefined || value === '') return undefined
  if (typeof value !== 'object' || value === null) throw invalid(`Invalid object`, name)
  return value as Params
}

/** `a[0]=x&a[1]=y` parses to an array; qs gives an object for sparse or huge indexes, so accept both. */
export function optArray(params: Params, name: string): unknown[] | undefined {
  const value = params[name]
  if (value === undefined || value === '') return undefined
  if (Array.isArray(value)) return value
  if (typeof value === 'object' && value !== null) return Object.values(value)
  throw invalid(`Invalid array`, name)
}

/** Metadata: string values; an empty string deletes a key when updating. */
export function mergeMetadata(current: Record<string, string>, params: Params): Record<string, string> {
  const given = optObject(params, 'metadata')
  if (params.metadata === '') return {}
  if (!given) return current
  const out = { ...current }
  for (const [key, value] of Object.entries(given)) {
    if (typeof value !== 'string') throw invalid('Invalid metadata value', `metadata[${key}]`)
    if (value === '') delete out[key]
    else out[key] = value
  }
  return out
}
