package dev.orbit.db;

/**
 * Order, window and fields of a {@code findMany}: skip {@code skip} documents, then return at most {@code limit}
 * ({@code 0} means no limit: there is no silent default cap), each with the fields of {@code projection}.
 */
public record FindOptions(Sort sort, long skip, long limit, Projection projection) {
    public static final FindOptions ALL = new FindOptions(Sort.NONE, 0, 0);

    public FindOptions {
        sort = sort == null ? Sort.NONE : sort;
        projection = projection == null ? Projection.ALL : projection;
        if (skip < 0 || limit < 0) {
            throw new InvalidQueryException("skip and limit must be >= 0 (got skip " + skip + ", limit " + limit + ")");
        }
    }

    /** Every field. */
    public FindOptions(Sort sort, long skip, long limit) {
        this(sort, skip, limit, Projection.ALL);
    }

    public static FindOptions sortedBy(Sort sort) {
        return new FindOptions(sort, 0, 0);
    }

    public FindOptions skip(long n) {
        return new FindOptions(sort, n, limit, projection);
    }

    public FindOptions limit(long n) {
        return new FindOptions(sort, skip, n, projection);
    }

    /** Only the fields of {@code fields} (see {@link Projection}). */
    public FindOptions projection(Projection fields) {
        return new FindOptions(sort, skip, limit, fields);
    }
}
