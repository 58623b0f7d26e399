/**
 * A setting is wrong or missing. Start-up stops with this message, which names every offending
 * setting (never its secret value).
 */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly { readonly setting: string; readonly message: string }[],
  ) {
    super(
      `invalid configuration of ${service}:\n` +
        problems.map(({ setting, message }) => `  - ${setting}: ${message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }

  get settings(): readonly string[] {
    return this.problems.map((problem) => problem.setting);
  }
}
