// Step 1 of the youtube-transcript-api approach: load the watch page and read the
// InnerTube API key that the page's `ytcfg.set({...})` carries. In the EU the
// first answer may be a cookie-consent interstitial instead; accepting it is a
// CONSENT cookie built from the form's hidden `v` field, then one retry.
import { requestText, type YoutubeSession } from './requestText.ts'
import { captionsUnavailable } from './youtubeErrors.ts'

const WATCH = { template: '/watch' }
const CONSENT_FORM = 'action="https://consent.youtube.com/s"'
const CONSENT_VERSION = /name="v" value="([^"]*)"/
const API_KEY = /"INNERTUBE_API_KEY":\s*"([A-Za-z0-9_-]+)"/
// Google's "unusual traffic" page (google.com/sorry) when it does not answer 429 outright.
const RECAPTCHA = 'class="g-recaptcha"'
// Cookie values go into a header: nothing that could end or split it.
const SAFE_COOKIE_VALUE = /^[\x21-\x7e]+$/

export async function fetchInnertubeApiKey(session: YoutubeSession, baseUrl: string, videoId: string): Promise<string> {
  const watchUrl = `${baseUrl}/watch?v=${videoId}`
  let html = await requestText(session, watchUrl, WATCH)
  if (html.includes(CONSENT_FORM)) {
    const version = CONSENT_VERSION.exec(html)?.[1]
    if (!version || !SAFE_COOKIE_VALUE.test(version) || /[;,]/.test(version)) throw captionsUnavailable('consent_required')
    session.cookies.set('CONSENT', `YES+${version}`)
    html = await requestText(session, watchUrl, WATCH)
    if (html.includes(CONSENT_FORM)) throw captionsUnavailable('consent_required')
  }
  const key = API_KEY.exec(html)?.[1]
  if (key) return key
  if (html.includes(RECAPTCHA)) throw captionsUnavailable('bot_check')
  throw captionsUnavailable('unexpected_response')
}
