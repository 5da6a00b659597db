import { expect, test } from 'bun:test'
import { loadConfig } from '../platform/config.ts'
import { configuredEmbedder, embedderByName } from './embeddingProviders.ts'
import { localEmbedder } from './localEmbedder.ts'

const local = loadConfig({ NODE_ENV: 'test' })
const remote = loadConfig({
  NODE_ENV: 'test',
  EMBEDDING_PROVIDER: 'openai',
  EMBEDDING_MODEL: 'bge-m3',
  EMBEDDING_DIMENSIONS: '1024',
  EMBEDDING_BASE_URL: 'http://127.0.0.1:9/v1',
})

test('the local provider is the default', () => {
  expect(configuredEmbedder(local)).toBe(localEmbedder)
})

test('an openai provider is named after its model and size, and built once per config', () => {
  const embedder = configuredEmbedder(remote)
  expect(embedder.name).toBe('openai:bge-m3@1024')
  expect(embedder.dimensions).toBe(1024)
  expect(configuredEmbedder(remote)).toBe(embedder)
})

test('the local embedder can always search its vectors, whatever is configured', () => {
  expect(embedderByName(remote, localEmbedder.name)).toBe(localEmbedder)
  expect(embedderByName(local, localEmbedder.name)).toBe(localEmbedder)
})

test('a remote model is available only while it is the configured one', () => {
  expect(embedderByName(remote, 'openai:bge-m3@1024')).toBe(configuredEmbedder(remote))
  expect(embedderByName(remote, 'openai:text-embedding-3-small')).toBeNull()
  expect(embedderByName(local, 'openai:bge-m3@1024')).toBeNull()
})
