package dev.orbit.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The unit in which client addresses are throttled: an IPv4 address as it is, an IPv6 address by its /64 network,
 * because a single IPv6 customer usually holds a whole /64 and could otherwise pick a fresh address per attempt.
 * Anything else (a name, garbage from a caller) is kept as given; the throttle bounds its size.
 */
final class ClientAddresses {
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private ClientAddresses() {
    }

    /** The throttle's key for this address, or null for none. */
    static String throttleKey(String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        String a = address.strip();
        if (a.length() > 2 && a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        String bare = zone >= 0 ? a.substring(0, zone) : a;
        if (bare.indexOf(':') < 0 || !IPV6.matcher(bare).matches()) {
            return a;
        }
        List<String> groups = groups(bare);
        return groups == null ? a : String.join(":", groups.subList(0, 4)) + "::/64";
    }

    /** The eight groups of an IPv6 literal, without leading zeros, or null if it is not one. */
    private static List<String> groups(String literal) {
        int gap = literal.indexOf("::");
        if (gap >= 0 && literal.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        List<String> left = split(gap >= 0 ? literal.substring(0, gap) : literal);
        List<String> right = gap >= 0 ? split(literal.substring(gap + 2)) : List.of();
        if (left == null || right == null) {
            return null;
        }
        int missing = 8 - left.size() - right.size();
        if (gap >= 0 ? missing < 1 : missing != 0) {
            return null;
        }
        List<String> out = new ArrayList<>(left);
        for (int i = 0; i < missing; i++) {
            out.add("0");
        }
        out.addAll(right);
        return out;
    }

    /** Groups separated by ':'; an embedded IPv4 address (last) counts as two groups. */
    private static List<String> split(String part) {
        List<String> out = new ArrayList<>();
        if (part.isEmpty()) {
            return out;
        }
        for (String group : part.split(":", -1)) {
            if (group.contains(".")) {
                out.add("v4");
                out.add("v4");
            } else if (group.isEmpty() || group.length() > 4) {
                return null;
            } else {
                out.add(Integer.toHexString(Integer.parseInt(group, 16)).toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
