package dev.orbit.db;

/**
 * Order and window of a {@code findMany}: skip {@code skip} documents, then return at most {@code limit}
 * ({@code 0} means no limit: there is no silent default cap).
 */
public record FindOptions(Sort sort, long skip, long limit) {
    public static final FindOptions ALL = new FindOptions(Sort.NONE, 0, 0);

    public FindOptions {
        sort = sort == null ? Sort.NONE : sort;
        if (skip < 0 || limit < 0) {
            throw new InvalidQueryException("skip and limit must be >= 0 (got skip " + skip + ", limit " + limit + ")");
        }
    }

    public static FindOptions sortedBy(Sort sort) {
        return new FindOptions(sort, 0, 0);
    }

    public FindOptions skip(long n) {
        return new FindOptions(sort, n, limit);
    }

    public FindOptions limit(long n) {
        return new FindOptions(sort, skip, n);
    }
}
