// The alert rules as shipped (prometheus/knowledgetree.rules.yml), read once
// for the tests that check them: against the runbook and promtool
// (monitoringFiles.test.ts) and against what the product exports
// (prometheusScrape.test.ts).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export const RULES_FILE = join(import.meta.dir, 'prometheus', 'knowledgetree.rules.yml')

type Rule = { alert: string; expr: string; annotations: { runbook_url: string } }
export const alertRules = (Bun.YAML.parse(readFileSync(RULES_FILE, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (g) => g.rules,
)
