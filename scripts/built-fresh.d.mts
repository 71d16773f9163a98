/** Whether `built` exists and was written after every file under `sources` (files or folders). */
export function builtAfter(built: string, sources: string[]): boolean;
