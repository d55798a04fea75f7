package dev.tandem.schema.events;

/**
 * An event type at one version, with the record its {@code data} maps to.
 *
 * @param name the type, also the routing key on {@code tandem.events}
 * @param version the version of the data schema
 * @param dataType the record {@code data} maps to
 */
public record EventType<T>(String name, int version, Class<T> dataType) {

    /** The classpath location of this type's JSON Schema (the whole message, envelope included). */
    public String schemaResource() {
        return "contracts/events/" + name + ".v" + version + ".schema.json";
    }

    public String routingKey() {
        return name;
    }
}
