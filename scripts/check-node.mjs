// Fails loudly when an npm script runs on a Node major other than the one the project pins (22).
// `npm ci` installs Node 22 as node_modules/.bin/node; npm scripts then run on it. When it is missing
// (for example after `npm ci --ignore-scripts`) scripts would silently fall back to the system Node.
const major = Number(process.versions.node.split('.')[0]);
if (major !== 22) {
  console.error(
    `\nfactuur needs Node 22, but this script runs on Node ${process.version}.\n` +
      `Run 'npm ci' (without --ignore-scripts) so node_modules/.bin/node is Node 22, then run the script through npm.\n`,
  );
  process.exit(1);
}
