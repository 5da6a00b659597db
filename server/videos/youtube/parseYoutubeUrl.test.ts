import { describe, expect, test } from 'bun:test'
import { AppError } from '../../platform/errors.ts'
import { isYoutubeVideoId, parseYoutubeUrl } from './parseYoutubeUrl.ts'

const ID = 'dQw4w9WgXcQ'
const DASHED = 'a-_B9c8D7e6' // IDs may contain - and _

function codeOf(input: string): string {
  try {
    parseYoutubeUrl(input)
  } catch (error) {
    if (error instanceof AppError) return `${error.status} ${error.code}`
    throw error
  }
  return 'accepted'
}

describe('parseYoutubeUrl accepts every shape of video link', () => {
  const cases: Array<[string, string, number | null]> = [
    [`https://www.youtube.com/watch?v=${ID}`, ID, null],
    [`http://www.youtube.com/watch?v=${ID}`, ID, null],
    [`https://youtube.com/watch?v=${ID}`, ID, null],
    [`https://m.youtube.com/watch?v=${ID}`, ID, null],
    [`https://music.youtube.com/watch?v=${ID}&feature=share`, ID, null],
    [`https://WWW.YouTube.com/watch?v=${ID}`, ID, null],
    [`https://www.youtube.com./watch?v=${ID}`, ID, null],
    [`www.youtube.com/watch?v=${ID}`, ID, null],
    [`youtube.com/watch?v=${ID}`, ID, null],
    [`  https://www.youtube.com/watch?v=${ID}  `, ID, null],
    [`https://www.youtube.com/watch?feature=youtu.be&v=${DASHED}&ab_channel=Someone`, DASHED, null],
    [`https://www.youtube.com/watch?v=${ID}&list=PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI&index=3`, ID, null],
    [`https://www.youtube.com/watch?v=${ID}&t=42`, ID, 42],
    [`https://www.youtube.com/watch?v=${ID}&t=42s`, ID, 42],
    [`https://www.youtube.com/watch?v=${ID}&t=1m30s`, ID, 90],
    [`https://www.youtube.com/watch?v=${ID}&t=1h2m3s`, ID, 3723],
    [`https://www.youtube.com/watch?v=${ID}&t=0`, ID, 0],
    [`https://www.youtube.com/watch?v=${ID}&start=15`, ID, 15],
    [`https://www.youtube.com/watch?v=${ID}#t=2m`, ID, 120],
    [`https://www.youtube.com/watch?v=${ID}&t=soon`, ID, null],
    [`https://youtu.be/${ID}`, ID, null],
    [`youtu.be/${ID}`, ID, null],
    [`https://youtu.be/${ID}?t=42`, ID, 42],
    [`https://youtu.be/${ID}?si=AbCdEfGhIjKlMnOp`, ID, null],
    [`https://www.youtube.com/shorts/${ID}`, ID, null],
    [`https://youtube.com/shorts/${DASHED}?feature=share`, DASHED, null],
    [`https://www.youtube.com/shorts/${ID}/`, ID, null],
    [`https://www.youtube.com/embed/${ID}`, ID, null],
    [`https://www.youtube.com/embed/${ID}?start=30&autoplay=1`, ID, 30],
    [`https://www.youtube.com/live/${ID}?si=xyz`, ID, null],
    [`https://www.youtube.com/v/${ID}`, ID, null],
    [`https://www.youtube-nocookie.com/embed/${ID}`, ID, null],
    [`https://youtube-nocookie.com/embed/${ID}?rel=0`, ID, null],
    [ID, ID, null],
    [DASHED, DASHED, null],
  ]
  test.each(cases)('%s -> %s at %p', (input, videoId, startSeconds) => {
    expect(parseYoutubeUrl(input)).toEqual({ videoId, startSeconds })
  })
})

describe('parseYoutubeUrl refuses playlists with their own code', () => {
  test.each([
    'https://www.youtube.com/playlist?list=PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI',
    'youtube.com/playlist?list=PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI',
    'https://m.youtube.com/playlist?list=PL123',
    'https://www.youtube.com/watch?list=PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI',
    'https://www.youtube.com/embed/videoseries?list=PL123',
    'https://www.youtube-nocookie.com/embed/videoseries?list=PL123',
  ])('%s', (input) => {
    expect(codeOf(input)).toBe('422 youtube_playlist_unsupported')
  })

  test('the playlist message tells the person what to do instead', () => {
    expect(() => parseYoutubeUrl('https://www.youtube.com/playlist?list=PL123')).toThrow(
      'Playlists are not supported yet: add the videos one by one.',
    )
  })
})

describe('parseYoutubeUrl refuses everything else as an invalid link', () => {
  test.each([
    '',
    '   ',
    'not a url',
    'dQw4w9WgXc', // 10 characters
    'dQw4w9WgXcQQ', // 12 characters
    'dQw4w9WgX+Q',
    `https://www.youtube.com/watch?v=${ID}x`,
    'https://www.youtube.com/watch?v=short',
    'https://www.youtube.com/watch?v=',
    'https://www.youtube.com/watch',
    `https://www.youtube.com/watch/extra?v=${ID}`,
    'https://www.youtube.com/',
    'https://www.youtube.com/@SomeChannel',
    'https://www.youtube.com/channel/UCuAXFkgsw1L7xaCfnd5JJOw',
    'https://www.youtube.com/results?search_query=postgres',
    'https://www.youtube.com/shorts/',
    'https://www.youtube.com/playlist',
    'https://youtu.be/',
    'https://youtu.be/short',
    `https://vimeo.com/${ID}`,
    `https://notyoutube.com/watch?v=${ID}`,
    `https://www.youtube.com.evil.example/watch?v=${ID}`,
    `https://evil.example/?u=https://www.youtube.com/watch?v=${ID}`,
    `ftp://www.youtube.com/watch?v=${ID}`,
    `javascript:alert(1)//www.youtube.com/watch?v=${ID}`,
    `https://www.youtube-nocookie.com/watch?v=${ID}`,
  ])('%p', (input) => {
    expect(codeOf(input)).toBe('422 youtube_url_invalid')
  })

  test('an absurdly long input is refused before it is parsed', () => {
    expect(codeOf(`https://www.youtube.com/watch?v=${ID}&${'x'.repeat(3000)}`)).toBe('422 youtube_url_invalid')
  })

  test('the message says which links are accepted', () => {
    expect(() => parseYoutubeUrl('https://vimeo.com/1')).toThrow(/youtube\.com\/watch\?v=.*youtu\.be/)
  })
})

describe('isYoutubeVideoId', () => {
  test('accepts exactly 11 URL-safe base64 characters', () => {
    expect(isYoutubeVideoId(ID)).toBe(true)
    expect(isYoutubeVideoId(DASHED)).toBe(true)
    expect(isYoutubeVideoId(`${ID}\n`)).toBe(false)
    expect(isYoutubeVideoId('../../etc/pa')).toBe(false)
  })
})
