// make test-deploy: the scenarios, in the order an operator lives them, on the
// hosts testing/deploy/run.sh booted. Not part of `make test` (the file name
// does not match *.test.ts); run.sh names it explicitly.
import { afterAll } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { figure, fleet } from './fleetWorld.ts'
import { backupScenarios } from './scenarios/backups.ts'
import { convergeScenarios } from './scenarios/converge.ts'
import { failureScenarios } from './scenarios/failures.ts'
import { hardeningScenarios } from './scenarios/hardening.ts'
import { rollingScenarios } from './scenarios/rolling.ts'
import { siteScenarios } from './scenarios/site.ts'

figure('hosts booted and test services up (setup, incl. release build)', fleet.setupSeconds)
figure('release build (web app, production node_modules, tarball + 2 variants)', fleet.releaseSeconds)

convergeScenarios()
siteScenarios()
rollingScenarios()
failureScenarios()
backupScenarios()
hardeningScenarios()

afterAll(() => {
  console.log(`\n${readFileSync(join(fleet.out, 'figures.md'), 'utf8')}`)
})
