// Wired up by the bundler-plugin work (issue 5).
export {};
