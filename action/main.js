// The action's main step: hands the inputs to `mock.sh start`, which starts the mock and
// writes the outputs, the environment and the state the post step needs. The work is in bash
// so that the same script can be run and tested outside a runner; this file only exists
// because composite actions have no post step to stop the mock with.
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');

// The runner passes input `foo-bar` as INPUT_FOO-BAR (upper case, spaces to underscores,
// dashes kept). Trimmed, as the runner's own toolkit does, so a YAML block's last newline or
// a stray space never reaches the mock (which refuses an admin token with spaces at an end).
function input(name, fallback = '') {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
  const trimmed = (value === undefined ? '' : value).trim();
  return trimmed === '' ? fallback : trimmed;
}

// Plain names for bash, which cannot read variables whose names hold a dash.
const env = {
  ...process.env,
  MOCK_BINARY: input('binary'),
  MOCK_SCENARIO: input('scenario'),
  MOCK_SCENARIO_FILE: input('scenario-file'),
  MOCK_PORT: input('port', '0'),
  MOCK_HTTPS_PORT: input('https-port', '0'),
  MOCK_ADMIN_TOKEN: input('admin-token'),
  MOCK_ARGS: input('args'),
  MOCK_TIMEOUT: input('timeout', '60'),
};

const result = spawnSync('bash', [path.join(__dirname, 'mock.sh'), 'start'], { stdio: 'inherit', env });
if (result.error) {
  console.log(`::error::veeam-auth-mock: cannot run bash: ${result.error.message}`);
  process.exit(1);
}
// A signal leaves no status: still a failure.
process.exit(result.status === null ? 1 : result.status);
