// Generating artifacts: gather the material (a conversation's cited passages,
// or a whole video's passages), then stream a document through the same
// engine and protocol as chat answers, saved as a new version.
import type { Db } from '../platform/db.ts'
import { closeTicket, type QuotaTicket } from '../platform/quotaGate.ts'
import { requireVideoRole } from '../collections/access.ts'
import { readConversation } from '../chat/service.ts'
import { resolveCitations } from '../generation/citations.ts'
import { languageModel } from '../generation/chooseProvider.ts'
import { createQuotingProvider, EXTRACTIVE_DOCUMENT_NOTICE } from '../generation/llm/extractiveProvider.ts'
import type { MomentCue } from '../retrieval/selectMoment.ts'
import { runGeneration, type GenerationDeps } from '../generation/generation.ts'
import type { SourceView } from '../generation/model.ts'
import { escapeData, sourcesBlock } from '../generation/sourcesBlock.ts'
import { toSourceView } from '../generation/views.ts'
import { NotFoundError, UnprocessableError } from '../platform/errors.ts'
import { passageCues, passageTexts, videoPassages } from '../retrieval/passages.ts'
import { findVideo } from '../videos/service.ts'
import type { ArtifactInput, ArtifactKind } from './model.ts'
import { ARTIFACT_SYSTEM_PROMPT, artifactRequest, DEFAULT_TITLES, extractiveDocument } from './prompts.ts'
import * as a from './sql.ts'

const MAX_VIDEO_PASSAGES = 150
const MAX_CONVERSATION_SOURCES = 40

type Material = {
  collectionId: string
  sources: SourceView[]
  texts: string[]
  conversation: string | null
  cues: Map<number, MomentCue[]> | null
}

/** Without a model, the passages' timed lines: quotes from unpunctuated captions are cut at them. */
async function offlineCues(deps: GenerationDeps, sources: SourceView[]): Promise<Map<number, MomentCue[]> | null> {
  return languageModel(deps.config)
    ? null
    : passageCues(
        deps.sql,
        sources.map((s) => s.chunkId),
      )
}

async function videoMaterial(deps: GenerationDeps, userId: string, videoId: string): Promise<Material> {
  const { collectionId } = await requireVideoRole(deps.sql, userId, videoId, 'viewer')
  const video = await findVideo(deps.sql, videoId)
  if (!video) throw new NotFoundError('Video')
  if (video.status !== 'ready')
    throw new UnprocessableError('video_not_ready', 'This video is still being processed. Try again when it is ready.')
  const passages = await videoPassages(deps.sql, deps.config.PUBLIC_URL, videoId, MAX_VIDEO_PASSAGES)
  const sources = passages.map((p, i) => toSourceView(p, i + 1))
  return { collectionId, sources, texts: passages.map((p) => p.text), conversation: null, cues: await offlineCues(deps, sources) }
}

async function conversationMaterial(deps: GenerationDeps, userId: string, conversationId: string): Promise<Material> {
  const { conversation, messages } = await readConversation(deps.sql, userId, conversationId)
  if (!messages.some((m) => m.role === 'assistant' && m.content))
    throw new UnprocessableError('conversation_empty', 'Ask at least one question first: the document is written from the answers.')
  const seen = new Map<number, SourceView>()
  for (const m of messages)
    for (const s of [...m.citations, ...m.sources]) if (!seen.has(s.chunkId) && seen.size < MAX_CONVERSATION_SOURCES) seen.set(s.chunkId, s)
  const sources = [...seen.values()].map((s, i) => ({ ...s, n: i + 1 }))
  const byId = await passageTexts(
    deps.sql,
    sources.map((s) => s.chunkId),
  )
  // Per-answer citation numbers mean nothing here; the sources block renumbers them.
  const transcript = messages
    .map((m) => `${m.role === 'user' ? 'Question' : 'Answer'}: ${m.content.replace(/\[\d{1,3}(?:\s*,\s*\d{1,3})*\]/g, '')}`)
    .join('\n\n')
  const kept = sources.filter((s) => byId.has(s.chunkId))
  return {
    collectionId: conversation.collectionId,
    sources: kept,
    texts: kept.map((s) => byId.get(s.chunkId)!),
    conversation: transcript,
    cues: await offlineCues(deps, kept),
  }
}

async function refundOnError<T>(ticket: QuotaTicket, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    await ticket.refund('the document failed before it started')
    throw err
  }
}

/** Claude when configured; else the material's own sentences, quoted (cues split unpunctuated captions). */
function documentProvider(deps: GenerationDeps, kind: ArtifactKind, instructions: string | null, material: Material) {
  const model = languageModel(deps.config)
  if (model) return { provider: model, notice: null }
  const sources = material.sources.map((s, i) => ({
    n: s.n,
    text: material.texts[i]!,
    startMs: s.startMs,
    cues: material.cues?.get(s.chunkId),
  }))
  return { provider: createQuotingProvider(() => extractiveDocument(kind, instructions, sources)), notice: EXTRACTIVE_DOCUMENT_NOTICE }
}

function startVersion(
  deps: GenerationDeps,
  p: {
    artifactId: string
    version: number
    streamId: string
    kind: ArtifactKind
    instructions: string | null
    material: Material
    ticket: QuotaTicket
  },
) {
  const { material } = p
  const { provider, notice } = documentProvider(deps, p.kind, p.instructions, material)
  const promptSources = material.sources.map((s, i) => ({
    n: s.n,
    videoTitle: s.videoTitle,
    startMs: s.startMs,
    endMs: s.endMs,
    speakers: s.speakers,
    text: material.texts[i]!,
  }))
  const user = [
    sourcesBlock(promptSources),
    material.conversation ? `<conversation>\n${escapeData(material.conversation)}\n</conversation>` : '',
    artifactRequest(p.kind, p.instructions),
  ]
    .filter(Boolean)
    .join('\n\n')
  void runGeneration(deps.hub, deps.logger, {
    kind: 'artifact',
    metrics: deps.metrics,
    sql: deps.sql,
    streamId: p.streamId,
    provider,
    system: ARTIFACT_SYSTEM_PROMPT,
    messages: [{ role: 'user', content: user }],
    maxTokens: Math.max(deps.config.LLM_MAX_TOKENS, 2500),
    temperature: deps.config.LLM_TEMPERATURE,
    sources: material.sources,
    notice,
    meta: { artifactId: p.artifactId, version: p.version },
    onFinish: async (result) => {
      if (!(await a.finishVersion(deps.sql, p.artifactId, p.version, result))) return false
      await closeTicket(p.ticket, result)
      return true
    },
  }).catch((err) => deps.logger.error('artifact generation crashed', { artifactId: p.artifactId, err }))
  return { provider }
}

export async function createArtifact(
  deps: GenerationDeps,
  userId: string,
  input: ArtifactInput,
): Promise<{ artifactId: string; version: number; streamId: string }> {
  if (Boolean(input.conversationId) === Boolean(input.videoId))
    throw new UnprocessableError('artifact_source_invalid', 'Give exactly one of conversationId or videoId.')
  if (input.kind === 'custom' && !input.instructions?.trim())
    throw new UnprocessableError('instructions_required', 'A custom document needs instructions: say what to write.', {
      field: 'instructions',
    })
  const material = input.videoId
    ? await videoMaterial(deps, userId, input.videoId)
    : await conversationMaterial(deps, userId, input.conversationId!)
  const ticket = await deps.quota.reserve(userId, 'artifact')
  const streamId = crypto.randomUUID()
  const instructions = input.instructions?.trim() || null
  const { artifactId, version } = await refundOnError(ticket, () =>
    deps.sql.begin(async (tx) => {
      const artifactId = await a.insertArtifact(tx, {
        userId,
        collectionId: material.collectionId,
        conversationId: input.conversationId ?? null,
        videoId: input.videoId ?? null,
        kind: input.kind,
        title: (input.title?.trim() || DEFAULT_TITLES[input.kind]).slice(0, 300),
        instructions,
      })
      const version = await insertStreamingVersion(tx, deps, { artifactId, streamId, material, ticket })
      return { artifactId, version }
    }),
  )
  startVersion(deps, { artifactId, version, streamId, kind: input.kind, instructions, material, ticket })
  return { artifactId, version, streamId }
}

/** The version a generation is about to stream into, with its quota charge and its lease, in the caller's transaction. */
async function insertStreamingVersion(
  tx: Db,
  deps: GenerationDeps,
  v: { artifactId: string; streamId: string; material: { sources: Parameters<typeof a.insertVersion>[2]['sources'] }; ticket: QuotaTicket },
): Promise<number> {
  const version = await a.insertVersion(tx, v.artifactId, {
    content: '',
    origin: 'generated',
    status: 'streaming',
    streamId: v.streamId,
    sources: v.material.sources,
    model: null,
  })
  await v.ticket.bind(tx, v.streamId)
  await deps.hub.lease(tx, v.streamId)
  return version
}

export async function regenerateArtifact(
  deps: GenerationDeps,
  userId: string,
  artifactId: string,
  instructions: string | null,
): Promise<{ version: number; streamId: string }> {
  const artifact = await a.getArtifact(deps.sql, artifactId)
  if (!artifact) throw new NotFoundError('Artifact')
  const material = artifact.videoId
    ? await videoMaterial(deps, userId, artifact.videoId)
    : await conversationMaterial(deps, userId, artifact.conversationId!)
  const ticket = await deps.quota.reserve(userId, 'artifact')
  const streamId = crypto.randomUUID()
  const effective = instructions?.trim() || artifact.instructions
  const version = await refundOnError(ticket, () =>
    deps.sql.begin((tx) => insertStreamingVersion(tx, deps, { artifactId, streamId, material, ticket })),
  )
  startVersion(deps, { artifactId, version, streamId, kind: artifact.kind, instructions: effective, material, ticket })
  return { version, streamId }
}

export async function editArtifact(deps: GenerationDeps, artifactId: string, content: string): Promise<number> {
  const artifact = await a.getArtifact(deps.sql, artifactId)
  if (!artifact) throw new NotFoundError('Artifact')
  const sources = (await a.listVersions(deps.sql, artifactId)).at(-1)?.sources ?? []
  const { used } = resolveCitations(content, new Set(sources.map((s) => s.n)))
  const citations = used.map((n) => sources.find((s) => s.n === n)!)
  return deps.sql.begin((tx) =>
    a.insertVersion(tx, artifactId, { content, origin: 'edited', status: 'complete', streamId: null, sources, citations, model: null }),
  )
}
