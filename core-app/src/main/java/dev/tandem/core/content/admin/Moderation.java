package dev.tandem.core.content.admin;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Locale;

/** A post's or comment's moderation state (V11): stored in lower case, as hot-path writes it. */
enum Moderation {
    VISIBLE,
    HELD,
    PENDING;

    @Converter
    static final class Column implements AttributeConverter<Moderation, String> {
        @Override
        public String convertToDatabaseColumn(Moderation state) {
            return state.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public Moderation convertToEntityAttribute(String stored) {
            return Moderation.valueOf(stored.toUpperCase(Locale.ROOT));
        }
    }
}
