package dev.tandem.hotpath.files;

import org.jspecify.annotations.Nullable;

/** The one upload of a request, so that whoever learns the client is gone can drop it. */
final class Transfer {
    private FileStorage.@Nullable Upload upload;
    private boolean gone;

    /** Keeps the upload, or drops it at once when the client already went away. */
    boolean start(FileStorage.Upload started) {
        if (gone) {
            started.abort();
            return false;
        }
        upload = started;
        return true;
    }

    void done() {
        upload = null;
    }

    void abandon() {
        gone = true;
        if (upload != null) {
            upload.abort();
            upload = null;
        }
    }
}
