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

/** A subscription of whole GPU cards (plus disk per card) for a term, shared by functions. */
@Group(GpuReservation.GROUP)
@Version(GpuReservation.VERSION)
@Kind("ResidentPool")
@Plural("residentpools")
@ShortNames("rpool")
@AdditionalPrinterColumn(name = "Card Type", jsonPath = ".spec.cardType", type = Type.STRING)
@AdditionalPrinterColumn(name = "Cards", jsonPath = ".status.cardUsage", type = Type.STRING)
@AdditionalPrinterColumn(name = "Disk", jsonPath = ".status.diskUsage", type = Type.STRING)
@AdditionalPrinterColumn(name = "Held", jsonPath = ".status.heldCards", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Lent", jsonPath = ".status.lent", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
// A date column prints a future time as "<invalid>" (it shows age); the expiry is a string.
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".status.expiresAt", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class ResidentPool extends CustomResource<ResidentPoolSpec, ResidentPoolStatus>
    implements Namespaced {}
