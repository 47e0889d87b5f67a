using System.Globalization;
using System.Text;
using System.Xml;

namespace FaceSwap.BotApi.Media;

/// <summary>Serialises an <see cref="AiContentLabelOptions"/> as one XMP packet (UTF-8, no padding).</summary>
internal static class XmpPacket
{
    public const string IptcExtensionNamespace = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
    public const string XmpBasicNamespace = "http://ns.adobe.com/xap/1.0/";
    public const string DublinCoreNamespace = "http://purl.org/dc/elements/1.1/";
    public const string PhotoshopNamespace = "http://ns.adobe.com/photoshop/1.0/";
    private const string RdfNamespace = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

    // The packet wrapper's id is the fixed value the XMP specification prescribes; begin holds U+FEFF as the byte-order mark.
    private const string PacketBegin = "begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"";

    public static byte[] Build(AiContentLabelOptions label)
    {
        var date = label.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            OmitXmlDeclaration = true,
            Indent = true,
            IndentChars = " ",
            NewLineChars = "\n",
            ConformanceLevel = ConformanceLevel.Fragment,
        };
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteProcessingInstruction("xpacket", PacketBegin);
            xml.WriteStartElement("x", "xmpmeta", "adobe:ns:meta/");
            xml.WriteStartElement("rdf", "RDF", RdfNamespace);
            xml.WriteStartElement("rdf", "Description", RdfNamespace);
            xml.WriteAttributeString("rdf", "about", RdfNamespace, "");
            xml.WriteAttributeString("xmlns", "Iptc4xmpExt", null, IptcExtensionNamespace);
            xml.WriteAttributeString("xmlns", "xmp", null, XmpBasicNamespace);
            xml.WriteAttributeString("xmlns", "photoshop", null, PhotoshopNamespace);
            xml.WriteAttributeString("xmlns", "dc", null, DublinCoreNamespace);
            xml.WriteElementString("Iptc4xmpExt", "DigitalSourceType", IptcExtensionNamespace, label.DigitalSourceType);
            xml.WriteElementString("xmp", "CreatorTool", XmpBasicNamespace, label.CreatorTool);
            xml.WriteElementString("xmp", "CreateDate", XmpBasicNamespace, date);
            xml.WriteElementString("xmp", "ModifyDate", XmpBasicNamespace, date);
            xml.WriteElementString("xmp", "MetadataDate", XmpBasicNamespace, date);
            xml.WriteElementString("photoshop", "Credit", PhotoshopNamespace, label.Credit);
            xml.WriteStartElement("dc", "description", DublinCoreNamespace);
            xml.WriteStartElement("rdf", "Alt", RdfNamespace);
            xml.WriteStartElement("rdf", "li", RdfNamespace);
            xml.WriteAttributeString("xml", "lang", null, "x-default");
            xml.WriteString(label.Description);
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteProcessingInstruction("xpacket", "end=\"w\"");
        }

        return buffer.ToArray();
    }
}
