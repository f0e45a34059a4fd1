package io.loom.connectors.verify;

/**
 * A capture names a venue Loom has no feed for (or no venue Loom knows at all).
 *
 * <p>Thread-safety: immutable.
 */
public final class UnsupportedVenueException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    private final String venueId;

    /**
     * @param venueId   the venue id as the capture names it.
     * @param supported the venue ids Loom can verify.
     */
    public UnsupportedVenueException(final String venueId, final Iterable<String> supported)
    {
        super("no feed for venue '" + venueId + "'; supported: " + String.join(", ", supported));
        this.venueId = venueId;
    }

    /** @return the venue id the capture names. */
    public String venueId()
    {
        return venueId;
    }
}
