// When things go wrong: a release that never gets ready, rolling back, and two
// operators deploying at once (or one interrupting a deploy). These use
// `make rollout`, the same rollout, lock and health gate as `make deploy`
// without its provisioning pass (converge and the rolling deploy cover that),
// which keeps the suite inside its time budget.
import { describe, expect, test } from 'bun:test'
import { APP_HOSTS, figure, fleet, make, releaseId, ROOT, runningReleases, sh, ssh, tail } from '../fleetWorld.ts'
import { newConversation, site } from '../siteClient.ts'
import { describeTraffic, NOTHING_WRONG, startTraffic, whatWentWrong } from '../trafficDuringDeploy.ts'
import { siteData } from './shared.ts'

const current = () => releaseId(fleet.releases.current)
const next = () => releaseId(fleet.releases.next)
const lockHeld = async () => (await ssh('app1', 'test -e /opt/knowledgetree/deploy.lock')).code === 0

async function expectAllOn(release: string) {
  for (const host of APP_HOSTS) expect(await runningReleases(host), host).toEqual([release, release])
  expect((await site('/readyz')).status).toBe(200)
}

/** `make <target>` in its own process group, so it can be interrupted as Ctrl-C would. */
function spawnMake(target: string, env: Record<string, string>) {
  return Bun.spawn(['setsid', 'make', '--no-print-directory', target], {
    cwd: ROOT,
    env: { ...process.env, INVENTORY: fleet.inventory, ANSIBLE_VAULT_PASSWORD_FILE: fleet.vaultPasswordFile, ANSIBLE_NOCOLOR: '1', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
}

async function waitFor(what: string, check: () => Promise<boolean>, seconds = 180) {
  for (let i = 0; i < seconds * 2; i++) {
    if (await check()) return
    await Bun.sleep(500)
  }
  throw new Error(`timed out waiting for ${what}`)
}

export function failureScenarios() {
  describe('a broken release', () => {
    test('fails its health gate: the rollout exits non-zero, the host goes back, the site keeps serving', async () => {
      const { account, collectionId } = await siteData()
      const traffic = startTraffic(account, [await newConversation(account, collectionId)], { httpWorkers: 2 })
      const r = await make('rollout', { RELEASE: fleet.releases.broken }, 'broken-rollout')
      const report = await traffic.stop()
      figure('broken release: the rollout fails its health gate and the host recovers', r.seconds)
      figure('traffic during the broken deploy', describeTraffic(report))
      expect(r.code).not.toBe(0)
      expect(r.out).toContain(`Release ${releaseId(fleet.releases.broken)} failed its health gate on app1`)
      expect(whatWentWrong(report, { mismatched: false })).toEqual(NOTHING_WRONG)
      expect(report.serverErrors, JSON.stringify(report.statuses)).toBe(0)
      // app1 went back, app2 was never touched (serial 1, max_fail_percentage 0).
      await expectAllOn(next())
      expect(await sh('app1', 'readlink /opt/knowledgetree/previous')).toBe(`releases/${current()}`)
      expect(await lockHeld()).toBe(false)
    })
  })

  describe('rollback', () => {
    test('make rollback returns every host to the previous release, under traffic, without a 5xx', async () => {
      const { account, collectionId } = await siteData()
      const traffic = startTraffic(account, [await newConversation(account, collectionId)], { httpWorkers: 2 })
      const r = await make('rollback', {}, 'rollback')
      const report = await traffic.stop()
      figure('`make rollback` (2 app hosts × 2 instances; target < 60 s)', r.seconds)
      figure('traffic during the rollback', describeTraffic(report))
      expect(r.code, tail(r.out)).toBe(0)
      // Both hosts run two instances: they switched together, one instance each at a time.
      const together = r.out.split('PLAY [Roll back every app host at once]')[1]?.split('PLAY [Roll back a few')[0] ?? ''
      const switched = together.split('TASK [app : Point current at the new release]')[1]?.split('TASK [')[0] ?? ''
      expect(switched, tail(r.out)).toContain('changed: [app1]')
      expect(switched).toContain('changed: [app2]')
      expect(whatWentWrong(report)).toEqual(NOTHING_WRONG)
      expect(report.serverErrors, JSON.stringify(report.statuses)).toBe(0)
      // The older release runs on the schema the newer one expanded.
      await expectAllOn(current())
    })
  })

  describe('the deploy lock', () => {
    test('a second deploy is refused while one runs; an interrupted deploy releases the lock; the next deploy repairs the fleet', async () => {
      const first = spawnMake('rollout', { RELEASE: fleet.releases.next })
      const firstOut = Promise.all([new Response(first.stdout).text(), new Response(first.stderr).text()])
      await waitFor('the first deploy to take the lock', lockHeld)
      const second = await make('rollback', {}, 'refused-rollback')
      expect(second.code).not.toBe(0)
      expect(second.out).toContain('Another deploy holds the lock')
      expect(second.out).toContain('make deploy-unlock')
      // Let the first one get into the rollout, then interrupt it as Ctrl-C would.
      await waitFor(
        'the first deploy to start switching',
        async () => (await ssh('app1', `readlink /opt/knowledgetree/current | grep -q ${next()}`)).code === 0,
      )
      process.kill(-first.pid, 'SIGINT')
      const code = await first.exited
      const [out, err] = await firstOut
      expect(code, tail(out + err)).not.toBe(0)
      await waitFor('the interrupted deploy to release the lock', async () => !(await lockHeld()), 120)
      const again = await make('rollout', { RELEASE: fleet.releases.next }, 'rollout-after-interrupt')
      figure('rollout after an interrupted one', again.seconds)
      expect(again.code, tail(again.out)).toBe(0)
      await expectAllOn(next())
      expect(await sh('lb1', 'grep -c " down;" /etc/nginx/conf.d/knowledgetree-upstream.conf || true')).toBe('0')
    })

    test('a stale lock (its run was killed) is reported with how to clear it, and make deploy-unlock clears it', async () => {
      const started = Math.floor(Date.now() / 1000) - 2 * 3600
      await sh(
        'app1',
        `echo '{"holder":"someone@laptop pid 1: deploy x","token":"dead","started":${started}}' > /opt/knowledgetree/deploy.lock`,
      )
      const refused = await make('deploy', { RELEASE: fleet.releases.next }, 'stale-lock-deploy')
      expect(refused.code).not.toBe(0)
      expect(refused.out).toContain('someone@laptop pid 1')
      expect(refused.out).toContain('probably stale')
      expect(await lockHeld()).toBe(true)
      const unlock = await make('deploy-unlock', {}, 'deploy-unlock')
      expect(unlock.code, tail(unlock.out)).toBe(0)
      expect(await lockHeld()).toBe(false)
    })
  })
}
