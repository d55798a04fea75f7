/**
 * Files: uploads streamed to storage (never held in memory) with their SHA-256 computed on the fly
 * and their type sniffed from their bytes; downloads with Range and ETag. The bytes live behind
 * {@link dev.tandem.hotpath.files.FileStorage} (a local folder now); metadata in {@code attachments}.
 */
@NullMarked
package dev.tandem.hotpath.files;

import org.jspecify.annotations.NullMarked;
