// Writes the Ansible app role's annotated env file template and its list of
// known variables from server/platform/config.ts, so a new setting reaches the
// production template without anyone remembering to add it. A test checks the
// committed files are current: run `bun scripts/envTemplate.ts` after changing a
// variable in server/platform/configSpec/.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { configSpec } from '../server/platform/config.ts'

const ROLE = join(import.meta.dir, '..', 'ansible', 'roles', 'app')
export const ENV_TEMPLATE_PATH = join(ROLE, 'templates', 'knowledgetree.env.j2')
export const CONFIG_VARS_PATH = join(ROLE, 'vars', 'main.yml')

// Set per instance by the systemd unit (knowledgetree-api@PORT), never in the shared file.
const PER_INSTANCE = new Set(['PORT'])

type Entry = { name: string; description: string; allowed: string; defaultText: string; secret: boolean }

function entries(): Entry[] {
  return Object.entries(configSpec).map(([name, spec]) => {
    const s = spec as Record<string, unknown>
    const defaultText = 'defaultText' in s ? String(s.defaultText) : 'default' in s ? String(s.default) : 'unset'
    return {
      name,
      description: String(s.description),
      allowed: String(s.allowed),
      defaultText: defaultText.replace(/`/g, ''),
      secret: s.secret === true,
    }
  })
}

function wrap(text: string, width = 96): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}

function jinjaSafe(text: string): string {
  if (/\{[{%#]/.test(text)) throw new Error(`config text would be read as Jinja: ${text}`)
  return text
}

export function renderEnvTemplate(): string {
  const out = [
    '{{ ansible_managed | comment }}',
    '# KnowledgeTree settings for the api and worker processes on this host.',
    '# Generated from server/platform/config.ts by `bun scripts/envTemplate.ts`; do not edit.',
    '# Values come from app_env (inventory) and app_secrets (vault); a variable left',
    '# commented out takes the default shown. Secrets are marked; keep them in the vault.',
  ]
  for (const e of entries()) {
    out.push('')
    for (const line of wrap(jinjaSafe(`${e.name}: ${e.description}`))) out.push(`# ${line}`)
    out.push(
      `# allowed: ${jinjaSafe(e.allowed)}; default: ${jinjaSafe(e.defaultText)}${e.secret ? '; SECRET (app_secrets, from the vault)' : ''}`,
    )
    if (PER_INSTANCE.has(e.name)) {
      out.push('# (set per instance by the systemd unit knowledgetree-api@PORT)')
      continue
    }
    out.push(
      `{% if '${e.name}' in app_env_effective %}${e.name}={{ app_env_effective['${e.name}'] | string | to_json(ensure_ascii=False) }}{% else %}#${e.name}={% endif %}`,
    )
  }
  return `${out.join('\n')}\n`
}

export function renderConfigVars(): string {
  const all = entries()
  const list = (names: string[]) => names.map((n) => `  - ${n}`).join('\n')
  return [
    '---',
    '# Generated from server/platform/config.ts by `bun scripts/envTemplate.ts`; do not edit.',
    '# Every setting the api and worker read; app_env and app_secrets may set only these.',
    'app_config_variables:',
    list(all.filter((e) => !PER_INSTANCE.has(e.name)).map((e) => e.name)),
    '# Settings that are secrets: they must come from app_secrets (the vault), never app_env.',
    'app_config_secrets:',
    list(all.filter((e) => e.secret).map((e) => e.name)),
    '',
  ].join('\n')
}

if (import.meta.main) {
  writeFileSync(ENV_TEMPLATE_PATH, renderEnvTemplate())
  writeFileSync(CONFIG_VARS_PATH, renderConfigVars())
  console.log(`wrote ${ENV_TEMPLATE_PATH} and ${CONFIG_VARS_PATH}`)
}
