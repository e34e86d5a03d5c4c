import { ensureChromium, planChromium, type Machine } from '../../testkit/find-chromium';

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n';
const UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n';
const FEDORA = 'NAME="Fedora Linux"\nID=fedora\n';

/** A machine with these executables, nothing run for real; `ran` records the commands it was asked to run. */
function machine(options: {
  executables?: string[];
  env?: Record<string, string>;
  platform?: NodeJS.Platform;
  osRelease?: string;
  root?: boolean;
  sudo?: boolean;
  /** What installing puts on the machine (nothing when left out). */
  installs?: string[];
  failing?: string;
}): Machine & { ran: string[][] } {
  const executables = new Set(options.executables ?? []);
  const ran: string[][] = [];
  return {
    ran,
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...options.env },
    platform: options.platform ?? 'linux',
    isExecutable: (file) => executables.has(file),
    osRelease: () => options.osRelease,
    isRoot: () => options.root ?? false,
    canSudo: () => options.sudo ?? false,
    run(command) {
      ran.push([...command]);
      if (options.failing && command.includes(options.failing)) {
        return { ok: false, error: 'E: Unable to locate package chromium' };
      }
      if (command.includes('install')) for (const file of options.installs ?? []) executables.add(file);
      return { ok: true, error: '' };
    },
  };
}

describe('finding Chromium for the browser tests', () => {
  it('takes CHROMIUM_PATH first, over anything on PATH', () => {
    const plan = planChromium(
      machine({
        env: { CHROMIUM_PATH: '/opt/chrome/chrome' },
        executables: ['/opt/chrome/chrome', '/usr/bin/chromium'],
      }),
    );
    expect(plan).toEqual({ kind: 'found', executable: '/opt/chrome/chrome' });
  });

  it('refuses a CHROMIUM_PATH that is not executable in one line instead of looking elsewhere', () => {
    const plan = planChromium(
      machine({ env: { CHROMIUM_PATH: '/nowhere/chrome' }, executables: ['/usr/bin/chromium'], root: true }),
    );
    expect(plan).toEqual({
      kind: 'unavailable',
      message: expect.stringContaining('CHROMIUM_PATH is /nowhere/chrome'),
    });
  });

  it('looks on PATH for chromium, then chromium-browser, then google-chrome, in PATH order', () => {
    expect(
      planChromium(machine({ executables: ['/usr/bin/google-chrome', '/bin/chromium-browser'] })),
    ).toEqual({
      kind: 'found',
      executable: '/bin/chromium-browser',
    });
    expect(
      planChromium(
        machine({ executables: ['/usr/bin/chromium', '/usr/local/bin/chromium', '/bin/google-chrome'] }),
      ),
    ).toEqual({ kind: 'found', executable: '/usr/local/bin/chromium' });
    expect(planChromium(machine({ executables: ['/usr/bin/google-chrome'] }))).toEqual({
      kind: 'found',
      executable: '/usr/bin/google-chrome',
    });
  });

  it("plans Debian's chromium with apt-get as root on Debian, and through sudo -n on Ubuntu", () => {
    expect(
      planChromium(machine({ osRelease: DEBIAN, root: true, executables: ['/usr/bin/apt-get'] })),
    ).toEqual({
      kind: 'install',
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'],
      ],
    });
    const plan = planChromium(machine({ osRelease: UBUNTU, sudo: true, executables: ['/usr/bin/apt-get'] }));
    expect(plan.kind === 'install' && plan.commands.map((command) => command.slice(0, 4))).toEqual([
      ['sudo', '-n', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'],
      ['sudo', '-n', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'],
    ]);
  });

  it.each([
    [
      'Debian without root or passwordless sudo',
      { osRelease: DEBIAN, executables: ['/usr/bin/apt-get'] },
      'sudo apt-get install chromium',
    ],
    ['Fedora as root', { osRelease: FEDORA, root: true }, 'install Chromium or Google Chrome'],
    ['macOS', { platform: 'darwin' as const, root: true }, 'install Chromium or Google Chrome'],
    [
      'Debian without apt-get on PATH',
      { osRelease: DEBIAN, root: true },
      'install Chromium or Google Chrome',
    ],
  ])('says in one line how to get one on %s', (_machine, options, how) => {
    const plan = planChromium(machine(options));
    expect(plan.kind).toBe('unavailable');
    const message = plan.kind === 'unavailable' ? plan.message : '';
    expect(message).toContain(how);
    expect(message).toContain('CHROMIUM_PATH');
    expect(message).not.toContain('\n');
  });

  it('installs with apt-get, says so in one line, and launches what it installed', () => {
    const debian = machine({
      osRelease: DEBIAN,
      root: true,
      executables: ['/usr/bin/apt-get'],
      installs: ['/usr/bin/chromium'],
    });
    const said: string[] = [];
    expect(ensureChromium(debian, (line) => said.push(line))).toBe('/usr/bin/chromium');
    expect(debian.ran.map((command) => command.slice(0, 2))).toEqual([
      ['apt-get', 'update'],
      ['apt-get', 'install'],
    ]);
    expect(said).toEqual([expect.stringContaining("installing Debian's chromium and fonts-dejavu-core")]);
  });

  it('fails the run with one line, and no stack, when there is none and none can be installed', () => {
    const failures = [
      () => ensureChromium(machine({ platform: 'darwin' }), () => undefined),
      () =>
        ensureChromium(
          machine({ osRelease: DEBIAN, root: true, executables: ['/usr/bin/apt-get'], failing: 'install' }),
          () => undefined,
        ),
    ];
    for (const failure of failures) {
      let thrown: Error | undefined;
      try {
        failure();
      } catch (error) {
        thrown = error as Error;
      }
      expect(thrown?.stack).toBe(thrown?.message);
      expect(thrown?.message).toMatch(/^[^\n]*CHROMIUM_PATH[^\n]*$/);
    }
  });
});
