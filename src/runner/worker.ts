/** Training worker child process. */
export {};
