// The site as visitors get it: HTTPS with the certificate certbot obtained from
// the ACME test CA (pebble), renewals that work, nothing internal exposed, and
// answers that stream through nginx token by token.
import { describe, expect, test } from 'bun:test'
import { fleet, ssh, tail } from '../fleetWorld.ts'
import { api, askAndFollow, newConversation, site } from '../siteClient.ts'
import { siteData } from './shared.ts'

export function siteScenarios() {
  describe('the site over HTTPS', () => {
    test('nginx serves the certificate pebble issued through certbot, with HSTS; HTTP redirects to HTTPS', async () => {
      // site() trusts only pebble's root and checks the name: a TLS error would throw here.
      const ready = await site('/readyz')
      expect(ready.status).toBe(200)
      expect(ready.headers.get('strict-transport-security')).toContain('max-age=')
      expect(ready.headers.get('server')).toBe('nginx')
      const plain = await fetch(`http://${fleet.hosts.lb1}/collections`, { headers: { host: fleet.domain }, redirect: 'manual' })
      expect(plain.status).toBe(301)
      expect(plain.headers.get('location')).toBe(`https://${fleet.domain}/collections`)
      const page = await site('/')
      expect(page.status).toBe(200)
      expect(page.headers.get('content-type')).toContain('text/html')
    })

    test('/metrics is not exposed through nginx', async () => {
      expect((await site('/metrics')).status).toBe(404)
    })

    test('certificate renewal works: certbot renew --dry-run against the ACME server, timer active, nginx reload hook', async () => {
      const r = await ssh(
        'lb1',
        `REQUESTS_CA_BUNDLE=/etc/letsencrypt/knowledgetree-acme-ca.pem certbot renew --dry-run --no-random-sleep-on-renew --server ${fleet.acmeServer} 2>&1; echo "exit=$?"; systemctl is-active certbot.timer; test -x /etc/letsencrypt/renewal-hooks/deploy/reload-nginx && echo hook`,
        300_000,
      )
      expect(r.out, tail(r.out)).toContain('exit=0')
      expect(r.out).toContain('all simulated renewals succeeded')
      expect(r.out).toMatch(/^active$/m)
      expect(r.out).toMatch(/^hook$/m)
    })

    test('an answer streams through nginx token by token: the first token arrives while the answer is still being written', async () => {
      const { account, collectionId } = await siteData()
      const conversationId = await newConversation(account, collectionId)
      let statusAtFirstToken: Promise<string> | null = null
      const answer = await askAndFollow(account, conversationId, 'What does caching do?', {
        onEvent: (e) => {
          if (e.event === 'token' && !statusAtFirstToken)
            statusAtFirstToken = api(account, 'GET', `/api/conversations/${conversationId}`).then((c) => c.messages.at(-1).status)
        },
      })
      expect(answer.complete).toBe(true)
      expect(answer.resumes).toBe(0)
      expect(answer.events.filter((e) => e.event === 'token').length).toBeGreaterThan(10)
      expect(await statusAtFirstToken!).toBe('streaming')
      const stored = (await api(account, 'GET', `/api/conversations/${conversationId}`)).messages.at(-1)
      expect(stored).toMatchObject({ status: 'complete', content: answer.text })
    })
  })
}
