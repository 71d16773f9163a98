/** CommonJS source of a module exporting `compileProjectValidator()`, compiled at build time. */
export function projectValidatorSource(): string;
