package dev.orbit.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * For options that name something on the server (an id, a key, a username): an empty value would make a path
 * such as {@code /admin/prompts/}, which the server answers with a puzzling "Method Not Allowed" or "Not
 * Found", so it is a usage error here instead. Use as {@code @Option(..., converter = NonEmpty.class)}.
 */
final class NonEmpty implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
        if (value.isBlank()) {
            throw new TypeConversionException("must not be empty");
        }
        return value;
    }
}
