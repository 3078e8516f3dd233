/**
 * How the browser tests and the first-paint bench start Chromium: Debian's binary (or CHROMIUM_PATH), headless,
 * with background networking off (this machine's closed network refuses those connections).
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
