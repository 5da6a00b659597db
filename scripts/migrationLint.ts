// Refuses migrations that would break the release still running during a
// rolling deploy (expand/contract, docs/MAINTENANCE.md): dropping or renaming
// tables and columns, changing a column's type, making a column NOT NULL that
// old code may leave empty, truncating. A file that is the contract step of a
// change already expanded in an earlier release says so on a line of its own:
//   -- contract: <why no running release uses what this removes>
// Statements are read with PostgreSQL's own parser (libpg-query), so comments,
// strings and function bodies never confuse the lint.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadModule, parseSync } from 'libpg-query'

export type LintFinding = { file: string; line: number; statement: string; problem: string }

const CONTRACT_MARKER = /^--\s*contract:\s*\S/m
const DESTRUCTIVE_OBJECTS = new Set([
  'OBJECT_TABLE',
  'OBJECT_COLUMN',
  'OBJECT_VIEW',
  'OBJECT_MATVIEW',
  'OBJECT_SCHEMA',
  'OBJECT_TYPE',
  'OBJECT_FUNCTION',
  'OBJECT_SEQUENCE',
  'OBJECT_DOMAIN',
])

type Node = Record<string, any>

await loadModule()

function columnDefaults(stmts: Node[]): Set<string> {
  // Columns given a default anywhere in the file: SET NOT NULL on them is safe
  // for old code that does not write the column.
  const withDefault = new Set<string>()
  for (const s of stmts) {
    const alter = s.AlterTableStmt
    if (!alter) continue
    for (const c of alter.cmds ?? []) {
      const cmd = c.AlterTableCmd
      if (cmd?.subtype === 'AT_ColumnDefault' && cmd.def) withDefault.add(`${alter.relation?.relname}.${cmd.name}`)
    }
  }
  return withDefault
}

function alterProblems(alter: Node, withDefault: Set<string>): string[] {
  const table = alter.relation?.relname
  const problems: string[] = []
  for (const c of alter.cmds ?? []) {
    const cmd = c.AlterTableCmd
    if (!cmd) continue
    if (cmd.subtype === 'AT_DropColumn') problems.push(`drops column ${table}.${cmd.name}`)
    else if (cmd.subtype === 'AT_AlterColumnType') problems.push(`changes the type of ${table}.${cmd.name}`)
    else if (cmd.subtype === 'AT_SetNotNull' && !withDefault.has(`${table}.${cmd.name}`))
      problems.push(`makes ${table}.${cmd.name} NOT NULL without a default`)
    else if (cmd.subtype === 'AT_AddColumn') {
      const def = cmd.def?.ColumnDef ?? {}
      const kinds = new Set((def.constraints ?? []).map((k: Node) => k.Constraint?.contype))
      const filled = kinds.has('CONSTR_DEFAULT') || kinds.has('CONSTR_GENERATED') || kinds.has('CONSTR_IDENTITY')
      if ((kinds.has('CONSTR_NOTNULL') || kinds.has('CONSTR_PRIMARY')) && !filled)
        problems.push(`adds NOT NULL column ${table}.${def.colname} without a default`)
    }
  }
  return problems
}

function statementProblems(stmt: Node, withDefault: Set<string>): string[] {
  if (stmt.DropStmt && DESTRUCTIVE_OBJECTS.has(stmt.DropStmt.removeType))
    return [`drops a ${String(stmt.DropStmt.removeType).slice(7).toLowerCase()}`]
  if (stmt.RenameStmt && DESTRUCTIVE_OBJECTS.has(stmt.RenameStmt.renameType))
    return [`renames a ${String(stmt.RenameStmt.renameType).slice(7).toLowerCase()}`]
  if (stmt.TruncateStmt) return ['truncates a table']
  if (stmt.AlterTableStmt) return alterProblems(stmt.AlterTableStmt, withDefault)
  return []
}

/** Destructive statements in one migration, unless it is marked as a contract step. */
export function lintMigration(file: string, sql: string): LintFinding[] {
  if (CONTRACT_MARKER.test(sql)) return []
  const raw = parseSync(sql).stmts as Node[]
  const withDefault = columnDefaults(raw.map((r) => r.stmt))
  const findings: LintFinding[] = []
  for (const r of raw) {
    const start = r.stmt_location ?? 0
    const text = sql.slice(start, start + (r.stmt_len || sql.length - start)).trim()
    const line = sql.slice(0, start).split('\n').length + (sql.slice(start).match(/^\s*/)?.[0].split('\n').length ?? 1) - 1
    for (const problem of statementProblems(r.stmt, withDefault))
      findings.push({ file, line, statement: text.split('\n')[0]!.slice(0, 120), problem })
  }
  return findings
}

export function lintMigrationsDir(dir: string): LintFinding[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.*\.sql$/.test(f))
    .sort()
    .flatMap((f) => lintMigration(f, readFileSync(join(dir, f), 'utf8')))
}

export function formatFinding(f: LintFinding): string {
  return `${f.file}:${f.line}: ${f.problem} (${f.statement}). The release still running would break during a rolling deploy: split it into expand and contract steps (docs/MAINTENANCE.md), or mark a contract step with a line "-- contract: <why nothing running uses it>".`
}

if (import.meta.main) {
  const findings = lintMigrationsDir(process.argv[2] ?? join(import.meta.dir, '..', 'sql'))
  for (const f of findings) console.error(formatFinding(f))
  console.log(findings.length ? `${findings.length} destructive statement(s)` : 'migrations: no destructive statements')
  process.exit(findings.length ? 1 : 0)
}
