// Prints the README's configuration table from server/platform/config.ts.
import { configSpec } from '../server/platform/config.ts'

console.log('| variable | default | meaning |\n|---|---|---|')
for (const [name, spec] of Object.entries(configSpec) as [string, Record<string, unknown>][]) {
  const def = 'defaultText' in spec ? String(spec.defaultText) : 'default' in spec ? `\`${String(spec.default)}\`` : 'unset'
  console.log(`| \`${name}\` | ${def} | ${String(spec.description).replace(/\|/g, '\\|')} |`)
}
