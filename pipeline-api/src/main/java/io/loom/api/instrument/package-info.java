/**
 * Venues and instruments: every instrument is interned once into an int id with its price and size
 * decimal exponents, so events carry ints and scaled longs, never Strings.
 */
package io.loom.api.instrument;
