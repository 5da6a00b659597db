import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { lintMigration, lintMigrationsDir } from './migrationLint.ts'

const problems = (sql: string) => lintMigration('0099_x.sql', sql).map((f) => f.problem)

describe('migration lint', () => {
  test('every landed migration passes', () => {
    expect(lintMigrationsDir(join(import.meta.dir, '..', 'sql'))).toEqual([])
  })

  test('refuses drops, renames, type changes and truncation, naming what and where', () => {
    const findings = lintMigration(
      '0099_x.sql',
      'create table t (a int);\n\nalter table videos drop column title;\ndrop table users;\nalter table videos rename column title to name;\nalter table videos alter column title type varchar(10);\ntruncate messages;',
    )
    expect(findings.map((f) => [f.line, f.problem])).toEqual([
      [3, 'drops column videos.title'],
      [4, 'drops a table'],
      [5, 'renames a column'],
      [6, 'changes the type of videos.title'],
      [7, 'truncates a table'],
    ])
  })

  test('NOT NULL is refused unless old code gets a default', () => {
    expect(problems('alter table videos add column n int not null')).toEqual(['adds NOT NULL column videos.n without a default'])
    expect(problems('alter table videos add column n int not null default 0, add column m int')).toEqual([])
    expect(problems('alter table videos alter column n set not null')).toEqual(['makes videos.n NOT NULL without a default'])
    expect(problems('alter table videos alter column n set default 0;\nalter table videos alter column n set not null;')).toEqual([])
  })

  test('additive changes, indexes and text inside strings, comments and function bodies pass', () => {
    expect(
      problems(
        "create index concurrently if not exists v_idx on videos (title);\ndrop index v_old_idx;\n-- drop table users;\ncomment on table videos is 'drop table users';\ncreate function f() returns int language sql as $$ select 1; $$;",
      ),
    ).toEqual([])
  })

  test('a contract step says so and passes', () => {
    expect(
      problems(
        '-- contract: videos.legacy_url unused since 0007 (expanded in the release before)\nalter table videos drop column legacy_url;',
      ),
    ).toEqual([])
  })
})
