// Where a search hit opens: the moment of the video the passage starts at.
// YouTube takes `?t=<seconds>` on its short links; uploads open in this app's
// player, which reads the same parameter. A plain-text transcript has no
// moments, so its link opens the video page and carries no time.

export type DeepLinkSource = {
  videoId: string
  sourceType: 'youtube' | 'transcript' | 'audio'
  youtubeId: string | null
  hasTimestamps: boolean
  startMs: number | null
}

export function deepLink(source: DeepLinkSource, publicUrl: string): { url: string; seconds: number | null } {
  const seconds = source.hasTimestamps && source.startMs !== null ? Math.floor(source.startMs / 1000) : null
  const at = seconds === null ? '' : `?t=${seconds}`
  if (source.sourceType === 'youtube' && source.youtubeId) return { url: `https://youtu.be/${source.youtubeId}${at}`, seconds }
  return { url: `${publicUrl.replace(/\/+$/, '')}/videos/${source.videoId}${at}`, seconds }
}

/** A passage's link and the seconds it spans: the start rounds down, the end up, so the range covers the passage. Untimed passages have neither. */
export function passageLink(
  source: DeepLinkSource & { endMs: number | null },
  publicUrl: string,
): { deepLink: string; startSeconds: number | null; endSeconds: number | null } {
  const link = deepLink(source, publicUrl)
  return {
    deepLink: link.url,
    startSeconds: link.seconds,
    endSeconds: link.seconds === null || source.endMs === null ? null : Math.ceil(source.endMs / 1000),
  }
}

/** The same link opening at another second (a moment inside the passage): `t` is replaced. */
export function linkAtSeconds(link: string, seconds: number | null): string {
  if (seconds === null) return link
  const url = new URL(link)
  url.searchParams.set('t', String(seconds))
  return url.toString()
}
