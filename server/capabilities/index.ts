// What this server can do, so the web app offers only that: answers written by
// a language model or quoted from the passages, audio transcription, a YouTube
// proxy, billing, sharing, and the files an upload takes. Public (the landing
// page reads it before sign-in) and free of secrets: booleans and limits only,
// never an address, key or variable name.
import { Elysia } from 'elysia'
import type { Billing } from '../billing/billing.ts'
import { languageModel } from '../generation/chooseProvider.ts'
import type { Config } from '../platform/config.ts'
import { TRANSCRIPT_EXTENSIONS } from '../videos/transcripts/detectFormat.ts'
import { AUDIO_EXTENSIONS } from '../videos/service.ts'
import { CapabilitiesModel, type Capabilities } from './model.ts'

export function capabilitiesOf(config: Config, billing: Pick<Billing, 'enabled'>): Capabilities {
  const transcription = Boolean(config.TRANSCRIPTION_BASE_URL)
  return {
    languageModel: languageModel(config) !== null,
    transcription,
    youtubeProxy: Boolean(config.YOUTUBE_PROXY_URL),
    billing: billing.enabled,
    sharing: true,
    uploads: {
      transcriptExtensions: TRANSCRIPT_EXTENSIONS.map((e) => `.${e}`),
      transcriptMaxBytes: config.TRANSCRIPT_MAX_BYTES,
      audioExtensions: transcription ? AUDIO_EXTENSIONS.map((e) => `.${e}`) : [],
      audioMaxBytes: config.AUDIO_MAX_BYTES,
    },
  }
}

export function capabilityRoutes(deps: { config: Config; billing: Pick<Billing, 'enabled'> }) {
  // The configuration does not change while the process runs.
  const capabilities = capabilitiesOf(deps.config, deps.billing)
  return new Elysia({ name: 'capabilities' }).get(
    '/api/capabilities',
    ({ set }) => {
      set.headers['cache-control'] = 'no-cache'
      return capabilities
    },
    { response: CapabilitiesModel, detail: { summary: 'What this server can do (public)', tags: ['meta'] } },
  )
}
