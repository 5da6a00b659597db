// A rolling deploy under continuous traffic: a release with an expand-only
// migration replaces the running one instance by instance, and nobody notices.
import { describe, expect, test } from 'bun:test'
import { APP_HOSTS, figure, fleet, make, releaseId, runningReleases, sh, tail } from '../fleetWorld.ts'
import { newConversation } from '../siteClient.ts'
import { describeTraffic, NOTHING_WRONG, startTraffic, whatWentWrong } from '../trafficDuringDeploy.ts'
import { siteData } from './shared.ts'

export function rollingScenarios() {
  describe('rolling deploy', () => {
    test('under HTTP load and open SSE streams: 0 5xx, every answer completes (resumed where it left), stored = streamed', async () => {
      const { account, collectionId } = await siteData()
      const conversations = await Promise.all([1, 2, 3].map(() => newConversation(account, collectionId)))
      const traffic = startTraffic(account, conversations)
      for (let i = 0; i < 600 && traffic.answered() < 3; i++) await Bun.sleep(100)
      const r = await make('deploy', { RELEASE: fleet.releases.next }, 'rolling-deploy')
      const report = await traffic.stop()
      figure('rolling deploy, 2 app hosts × 2 instances, under traffic', r.seconds)
      figure('traffic during the rolling deploy', describeTraffic(report))
      expect(r.code, tail(r.out)).toBe(0)
      expect(whatWentWrong(report)).toEqual(NOTHING_WRONG)
      expect(report.serverErrors, JSON.stringify(report.statuses)).toBe(0)
      expect(report.answers).toBeGreaterThan(5)
      expect(report.resumed).toBeGreaterThan(0)
    })

    test('every instance runs the new release, the old one is kept for rollback, its migration ran once', async () => {
      const next = releaseId(fleet.releases.next)
      for (const host of APP_HOSTS) {
        expect(await runningReleases(host)).toEqual([next, next])
        expect(await sh(host, 'readlink /opt/knowledgetree/current /opt/knowledgetree/previous')).toBe(
          `releases/${next}\nreleases/${releaseId(fleet.releases.current)}`,
        )
      }
      const applied = await sh(
        'db1',
        `runuser -u postgres -- psql -d knowledgetree -Atc "select count(*) from schema_migrations where name = '9999_test_deploy_expand.sql'"`,
      )
      expect(applied).toBe('1')
      // No instance left drained in nginx.
      expect(await sh('lb1', 'grep -c " down;" /etc/nginx/conf.d/knowledgetree-upstream.conf || true')).toBe('0')
    })
  })
}
