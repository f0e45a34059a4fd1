/**
 * Order books as downstream stages and connectors read them: {@link io.loom.api.book.OrderBookView}
 * (one instrument's L2 book, readable from another thread through a sequence stamp),
 * {@link io.loom.api.book.OrderBooks} (the books of a pipeline's order-book stage) and
 * {@link io.loom.api.book.BookState}.
 */
package io.loom.api.book;
