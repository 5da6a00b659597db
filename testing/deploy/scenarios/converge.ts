// Fresh hosts to a running site with one command, and a second run that
// changes nothing (every task idempotent).
import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import {
  APP_HOSTS,
  changedTasks,
  figure,
  fleet,
  make,
  playbook,
  recaps,
  releaseId,
  ROOT,
  run,
  runningReleases,
  tail,
} from '../fleetWorld.ts'

const HOSTS = ['lb1', 'app1', 'app2', 'db1']

export function convergeScenarios() {
  describe('converge', () => {
    test('make deploy brings four fresh hosts up and deploys the release', async () => {
      const r = await make('deploy', { RELEASE: fleet.releases.current }, 'first-deploy')
      figure('first `make deploy`: converge 4 fresh hosts + deploy', r.seconds)
      expect(r.code, tail(r.out)).toBe(0)
      // lock, site.yml, unlock
      const site = recaps(r.out)[1]!
      for (const host of HOSTS) expect(site[host], host).toMatchObject({ unreachable: 0, failed: 0 })
      for (const host of APP_HOSTS)
        expect(await runningReleases(host)).toEqual([releaseId(fleet.releases.current), releaseId(fleet.releases.current)])
    })

    test('a second run reports changed=0 on every host, and ansible-lint --profile production passes', async () => {
      const lint = run('ansible-lint', ['ansible-lint', '--profile', 'production', '-q', '--nocolor'], {
        env: { ANSIBLE_CONFIG: join(ROOT, 'ansible', 'ansible.cfg') },
      })
      const r = await playbook('second-run', 'site.yml', [
        '-e',
        `kt_release_id=${releaseId(fleet.releases.current)}`,
        '-e',
        `kt_release_file=${fleet.releases.current}`,
      ])
      figure('second run of site.yml (nothing to change)', r.seconds)
      expect(r.code, tail(r.out)).toBe(0)
      expect(changedTasks(r.out)).toEqual([])
      const [recap] = recaps(r.out)
      for (const host of HOSTS) expect(recap![host], host).toMatchObject({ changed: 0, failed: 0, unreachable: 0 })
      const l = await lint
      expect(l.code, tail(l.out)).toBe(0)
    })
  })
}
