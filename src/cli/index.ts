// 'carafe/cli': the `carafe` command (bin/carafe.js runs `main`). Apps add commands with
// `defineApp({ commands })` (see AppCommand in 'carafe').
export { main } from './main.js';
export { useStaticManifest } from './static-manifest.js';
