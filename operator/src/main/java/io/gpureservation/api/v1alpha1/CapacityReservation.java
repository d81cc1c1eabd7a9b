package io.gpureservation.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** N slots of one GPU pod shape, reserved in a namespace. */
@Group(GpuReservation.GROUP)
@Version(GpuReservation.VERSION)
@Kind("CapacityReservation")
@Plural("capacityreservations")
@ShortNames("gcr")
@AdditionalPrinterColumn(name = "Card Type", jsonPath = ".spec.cardType", type = Type.STRING)
@AdditionalPrinterColumn(name = "Cards", jsonPath = ".spec.cards", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Quantity", jsonPath = ".spec.quantity", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Active", jsonPath = ".status.active", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Idle", jsonPath = ".status.idle", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Held", jsonPath = ".status.held", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Lent", jsonPath = ".status.lent", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Price",
    jsonPath = ".status.conditions[?(@.type==\"PriceKnown\")].reason",
    type = Type.STRING)
@AdditionalPrinterColumn(name = "Next Edge", jsonPath = ".status.nextEdge", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class CapacityReservation
    extends CustomResource<CapacityReservationSpec, CapacityReservationStatus>
    implements Namespaced {}
