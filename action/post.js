// The action's post step (run when the job ends, even after a failure): stops the mock that
// the main step started and prints its log, through `mock.sh stop`. The runner hands back
// what the main step saved in $GITHUB_STATE as STATE_<name> variables.
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const env = {
  ...process.env,
  MOCK_PID: process.env.STATE_pid || '',
  MOCK_LOG: process.env.STATE_log || '',
};

const result = spawnSync('bash', [path.join(__dirname, 'mock.sh'), 'stop'], { stdio: 'inherit', env });
if (result.error) {
  console.log(`::error::veeam-auth-mock: cannot run bash: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status === null ? 1 : result.status);
