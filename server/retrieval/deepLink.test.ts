import { expect, test } from 'bun:test'
import { deepLink } from './deepLink.ts'

const base = { videoId: '6f1c2d4e-0000-4000-8000-000000000001', youtubeId: null, hasTimestamps: true }

test('a YouTube passage links to youtu.be at the whole second it starts', () => {
  expect(deepLink({ ...base, sourceType: 'youtube', youtubeId: 'dQw4w9WgXcQ', startMs: 125_999 }, 'https://kt.example')).toEqual({
    url: 'https://youtu.be/dQw4w9WgXcQ?t=125',
    seconds: 125,
  })
})

test('an uploaded transcript or audio file links to the app’s player at the second', () => {
  for (const sourceType of ['transcript', 'audio'] as const) {
    expect(deepLink({ ...base, sourceType, startMs: 61_500 }, 'https://kt.example/')).toEqual({
      url: `https://kt.example/videos/${base.videoId}?t=61`,
      seconds: 61,
    })
  }
})

test('a plain-text transcript without timing links to the video with no time', () => {
  expect(deepLink({ ...base, sourceType: 'transcript', hasTimestamps: false, startMs: null }, 'https://kt.example')).toEqual({
    url: `https://kt.example/videos/${base.videoId}`,
    seconds: null,
  })
})

test('a YouTube video without a known id falls back to the app’s player', () => {
  expect(deepLink({ ...base, sourceType: 'youtube', startMs: 0 }, 'https://kt.example').url).toBe(
    `https://kt.example/videos/${base.videoId}?t=0`,
  )
})
