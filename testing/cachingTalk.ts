// The chat tests' main video: a short talk on caching with YouTube timing, so
// questions about DiskCache find it and citations point at real seconds.
import { cues, seedVideo } from './seedVideo.ts'
import type { TestApp } from './testApp.ts'

export function seedCachingTalk(ctx: TestApp, collectionId: string, userId: string): Promise<string> {
  return seedVideo(ctx, {
    collectionId,
    userId,
    title: 'Caching talk',
    youtubeId: 'aqz-KE-bpKQ',
    segments: cues(
      [
        'Welcome to the show, today we talk about caching in Python applications.',
        'DiskCache stores cached values in SQLite files on disk, so the cache survives restarts of the process.',
        'It is faster than memcached for many workloads because reads come straight from the page cache.',
        'Eviction policies include least recently stored and least frequently used.',
      ],
      60_000,
    ),
  })
}
