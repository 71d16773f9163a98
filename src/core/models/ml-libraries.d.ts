/**
 * The mljs packages ship no (or unusable) type declarations; classic.ts describes the few members it uses
 * with its own interfaces and casts these untyped imports to them.
 */
declare module 'ml-cart';
