/** Types for stopword 3 (the package ships none): each language's list is an export named by its ISO 639-3 code. */
declare module 'stopword' {
  const lists: Record<string, string[] | ((...args: never[]) => unknown)>;
  export = lists;
}
