// electron-builder afterPack hook: flip Electron's fuses in the packaged binary before signing.
// (electron-builder 25 — the last line that runs on Node 20 — has no built-in fuse option.)
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

/** The hardening the design asks for: no Node mode, no NODE_OPTIONS, no inspector flags, ASAR only and integrity-checked. */
const FUSES = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

function electronBinary(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(context.appOutDir, `${name}.app`);
    case 'win32':
      return path.join(context.appOutDir, `${name}.exe`);
    default:
      return path.join(context.appOutDir, context.packager.executableName);
  }
}

async function afterPack(context) {
  await flipFuses(electronBinary(context), { ...FUSES, resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' });
}

module.exports = afterPack;
module.exports.FUSES = FUSES;
