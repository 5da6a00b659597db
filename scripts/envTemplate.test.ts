import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { configSpec } from '../server/platform/config.ts'
import { CONFIG_VARS_PATH, ENV_TEMPLATE_PATH, renderConfigVars, renderEnvTemplate } from './envTemplate.ts'

describe('production env template', () => {
  test('the committed Ansible template and variable list match config.ts (run `bun scripts/envTemplate.ts`)', () => {
    expect(readFileSync(ENV_TEMPLATE_PATH, 'utf8')).toBe(renderEnvTemplate())
    expect(readFileSync(CONFIG_VARS_PATH, 'utf8')).toBe(renderConfigVars())
  })

  test('every variable is documented, secrets are marked, PORT is left to the unit', () => {
    const template = renderEnvTemplate()
    for (const [name, spec] of Object.entries(configSpec)) {
      expect(template).toContain(`# ${name}: `)
      if ((spec as { secret?: boolean }).secret) expect(template).toMatch(new RegExp(`allowed: .*SECRET[^\\n]*\\n\\{% if '${name}'`))
    }
    expect(template).not.toContain("{% if 'PORT'")
  })
})
