// Fast static checks of the Ansible code (make test): every playbook parses
// against both example inventories, ansible-lint's production profile passes,
// and the EC2 inventory uses only options the aws_ec2 plugin has (it cannot
// reach AWS here, so this is as far as it is tested).
import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(import.meta.dir, '..', '..')
const ANSIBLE = join(ROOT, 'ansible')
const PLAYBOOKS = ['site.yml', 'provision.yml', 'deploy.yml', 'rollback.yml', 'lock.yml', 'backup-now.yml', 'restore-drill.yml']
const env = {
  ...process.env,
  ANSIBLE_CONFIG: join(ANSIBLE, 'ansible.cfg'),
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_LOCAL_TEMP: '/tmp/kt-ansible-lint',
  PY_COLORS: '0',
}

async function run(cmd: string[], cwd = ANSIBLE): Promise<{ code: number; out: string }> {
  const p = Bun.spawn(cmd, { cwd, env, stdout: 'pipe', stderr: 'pipe' })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out: out + err }
}

describe('ansible', () => {
  test('every playbook passes the syntax check with the VPS example inventory', async () => {
    const r = await run(['ansible-playbook', '--syntax-check', '-i', 'inventories/example-vps/hosts.yml', ...PLAYBOOKS])
    expect(r.out).not.toContain('ERROR')
    expect(r.code).toBe(0)
  })

  // From the repository's root, as make test-deploy runs it: that also lints the
  // YAML the roles deploy from outside ansible/ (ops/prometheus).
  test('ansible-lint --profile production passes', async () => {
    const r = await run(['ansible-lint', '--profile', 'production', '-q', '--nocolor'], ROOT)
    if (r.code !== 0) console.error(r.out)
    expect(r.code).toBe(0)
  }, 240_000)

  test('the EC2 inventory uses only aws_ec2 plugin options', async () => {
    const doc = await run(['ansible-doc', '-t', 'inventory', '--json', 'amazon.aws.aws_ec2'])
    expect(doc.code).toBe(0)
    const options = Object.keys(JSON.parse(doc.out.slice(doc.out.indexOf('{')))['amazon.aws.aws_ec2'].doc.options)
    const keys = readFileSync(join(ANSIBLE, 'inventories/example-aws/aws_ec2.yml'), 'utf8')
      .split('\n')
      .filter((l) => /^[a-z_]+:/.test(l))
      .map((l) => l.split(':')[0]!)
    expect(keys.length).toBeGreaterThan(4)
    for (const key of keys) expect(options).toContain(key)
  })
})
